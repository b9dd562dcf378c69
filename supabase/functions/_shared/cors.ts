export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, x-client-info, apikey, content-type',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
};

export function jsonResponse(status: number, body: unknown, extra: HeadersInit = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...corsHeaders, 'Content-Type': 'application/json', ...extra },
  });
}

export function errorResponse(
  status: number,
  code: string,
  message: string,
  issues?: Array<{ path: string; message: string }>,
  extra: HeadersInit = {},
  details: Record<string, unknown> = {},
): Response {
  return jsonResponse(
    status,
    { error: { code, message, ...(issues ? { issues } : {}), ...details } },
    extra,
  );
}
