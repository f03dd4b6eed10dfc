/** Database roles. The app role is neither owner, superuser nor BYPASSRLS: RLS always applies to it. */
export const OWNER_ROLE = 'civitas_owner';
export const APP_ROLE = 'civitas_app';
