/**
 * Database roles. Only the owner runs DDL (migrations, `civitas db:setup`). The running processes
 * connect as the app role (tenant data; row-level security always applies to it) and, with the
 * DBOS engine, as the engine role (DBOS's system tables in schema `dbos` only). Neither is owner,
 * superuser or BYPASSRLS, nor may create anything: `assertRuntimeRoles` refuses to start otherwise.
 */
export const OWNER_ROLE = 'civitas_owner';
export const APP_ROLE = 'civitas_app';
export const ENGINE_ROLE = 'civitas_engine';

/** DBOS keeps its system tables in the app database under this schema, owned by the owner role. */
export const ENGINE_SCHEMA = 'dbos';
