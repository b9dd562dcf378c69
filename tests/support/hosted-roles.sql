-- The roles, schemas and default privileges a hosted Supabase project has before
-- its first migration (after supabase/postgres's init scripts), in a database
-- owned by `project_owner`, which stands in for the hosted `postgres` role: it
-- can create roles and bypass RLS but is no superuser (`supabase_admin` is).
-- Cluster-wide (roles); the test then creates the project's database, owned by
-- project_owner, and runs hosted-schemas.sql in it.
create role supabase_admin login superuser createdb createrole replication bypassrls;
create role project_owner login createdb createrole replication bypassrls password 'postgres';
create role anon nologin inherit;
create role authenticated nologin inherit;
create role service_role nologin inherit bypassrls;
create role authenticator login noinherit password 'postgres';
create role supabase_auth_admin login noinherit createrole;
create role supabase_storage_admin login noinherit createrole;
create role supabase_realtime_admin nologin noinherit;
create role dashboard_user nologin createdb createrole replication;
create role pgbouncer login;
grant anon, authenticated, service_role to authenticator;
-- Hosted postgres holds the API roles and authenticator WITH ADMIN OPTION (the
-- role dump of a Postgres 17 project), so it may alter them (their timeouts).
grant anon, authenticated, service_role, authenticator to project_owner with admin option;
