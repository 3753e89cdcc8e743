/**
 * A CSV cell a spreadsheet shows as text: free text (names, reasons) starting like a formula is
 * prefixed with `'` so the spreadsheet does not run it (OWASP CSV injection). Every CSV the API
 * writes passes its cells through this.
 */
export const spreadsheetSafe = (value: unknown): unknown => (typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value);
