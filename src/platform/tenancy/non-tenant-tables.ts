/**
 * Tables that carry a municipality_id but are deliberately NOT under row-level security, each with
 * the reason. None holds resident or case data. The tenancy test fails for any other table with a
 * municipality_id that lacks forced RLS, so adding a table here is a reviewed decision.
 */
export const NON_TENANT_TABLES: Record<string, string> = {
  api_clients:
    "machine API clients' credentials (hashed secrets, scopes), read before the caller's municipality is known; no resident data",
  calendar_exceptions:
    'public law data (moved working days, extra holidays); country-wide rows have no municipality',
  directory_settings:
    "a municipality's staff directory (LDAP) connection and group-to-role mapping; configuration, no resident data",
  document_settings:
    "a municipality's choice of a second language for its documents; configuration, no resident data",
  document_verifications:
    'public verification index (code, hash, issuer); no personal data, read without sign-in',
  parameters:
    'effective-dated public amounts (fees, thresholds); national rows have no municipality',
  role_assignments:
    "staff access grants, read at sign-in before a municipality is chosen; no residents' data",
  sign_in_attempts:
    'security log of sign-in attempts, written before a tenant is known; reviewed by administrators',
};
