/** The HTTP server token of the browser suite's server; only ever used on a throwaway workspace. */
export const E2E_TOKEN = 'e2e-only-token-not-secret-0123456789';
