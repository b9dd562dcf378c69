-- The migration versions this database has applied, for `npm run bench -- doctor`.
-- supabase_migrations is not exposed through the API (and should not be), so a
-- security-definer function returns only the version numbers: they are public
-- anyway (the file names in supabase/migrations), nothing else of the table is.
create or replace function public.schema_versions()
returns setof text
language sql
stable
security definer
set search_path = ''
as $$
  select version from supabase_migrations.schema_migrations order by version
$$;

comment on function public.schema_versions() is
  'Versions of the applied migrations (supabase_migrations.schema_migrations), for the doctor.';

revoke all on function public.schema_versions() from public, anon, authenticated, service_role;
grant execute on function public.schema_versions() to anon, authenticated, service_role;
