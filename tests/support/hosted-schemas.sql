-- Run as a superuser in the project's database (see hosted-roles.sql).
create schema extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
grant usage on schema extensions to anon, authenticated, service_role, project_owner;

create schema auth authorization supabase_auth_admin;
create table auth.users (id uuid primary key, email text, created_at timestamptz);
alter table auth.users owner to supabase_auth_admin;
create function auth.uid() returns uuid language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;
create function auth.role() returns text language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;
create function auth.jwt() returns jsonb language sql stable as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.jwt() owner to supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role, project_owner;
grant execute on function auth.uid(), auth.role(), auth.jwt() to public;

create schema storage authorization supabase_storage_admin;
create table storage.buckets (id text primary key, name text not null, public boolean default false);
alter table storage.buckets owner to supabase_storage_admin;
grant usage on schema storage to anon, authenticated, service_role, project_owner;

create schema graphql_public;
grant usage on schema graphql_public to anon, authenticated, service_role;
create schema realtime;
alter schema realtime owner to supabase_realtime_admin;

-- public: what the API roles may use, and the default privileges that give them
-- every new table, sequence and function of the project's owner (a migration
-- must revoke what it does not mean to expose).
grant usage on schema public to anon, authenticated, service_role;
grant all on schema public to project_owner;
alter default privileges for role project_owner in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role project_owner in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role project_owner in schema public
  grant all on functions to anon, authenticated, service_role;
alter role project_owner set search_path = "$user", public, extensions;
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';
