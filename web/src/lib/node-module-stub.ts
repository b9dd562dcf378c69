/**
 * Stands in for Node's `module` in the browser build. The WebRTC VAD's
 * Emscripten loader (`@echogarden/fvad-wasm`, used by the offline interviewer)
 * imports it only when it runs on Node; in a browser that branch never runs.
 */
export function createRequire(): never {
  throw new Error("Node's module API is not available in the browser");
}
