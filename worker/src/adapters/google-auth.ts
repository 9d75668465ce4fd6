/**
 * Google credentials for the Sheets backend: a service-account key file named by
 * GOOGLE_APPLICATION_CREDENTIALS, checked before the first API call so a wrong path or the wrong
 * kind of JSON gives a message that says what to fix.
 */
import { InputError } from '../../../shared/src/errors';
import fs from 'node:fs';
import { google, type Auth } from 'googleapis';
import { z } from 'zod';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export const GoogleEnvSchema = z.object({
  GOOGLE_APPLICATION_CREDENTIALS: z
    .string({
      error:
        'GOOGLE_APPLICATION_CREDENTIALS is not set: point it at the service-account key JSON (see README, "Google Sheets")',
    })
    .trim()
    .min(1, 'GOOGLE_APPLICATION_CREDENTIALS is empty: point it at the service-account key JSON'),
});

export const ServiceAccountKeySchema = z.object({
  type: z.literal('service_account', {
    error: (i) =>
      `not a service-account key (type is ${JSON.stringify(i.input)}; create a key under IAM → Service accounts → Keys)`,
  }),
  client_email: z.email({ error: 'client_email is missing or not an e-mail address' }),
  private_key: z
    .string({ error: 'private_key is missing' })
    .includes('PRIVATE KEY', { error: 'private_key is not a PEM private key' }),
  project_id: z.string().optional(),
});

export type ServiceAccountKey = z.infer<typeof ServiceAccountKeySchema>;

/** Missing or unreadable service-account key: permanent until an admin fixes it. */
export class GoogleAuthConfigError extends InputError {}

export interface SheetsCredentials {
  /** Pass as `auth` to SheetsWorkbook. */
  readonly auth: Auth.GoogleAuth;
  /** The e-mail the spreadsheet must be shared with (as Editor). */
  readonly serviceAccountEmail: string;
  readonly keyFile: string;
}

/** Reads and validates the key file named by GOOGLE_APPLICATION_CREDENTIALS. */
export function serviceAccountFromEnv(env: NodeJS.ProcessEnv = process.env): SheetsCredentials {
  const parsedEnv = GoogleEnvSchema.safeParse(env);
  if (!parsedEnv.success) throw new GoogleAuthConfigError(parsedEnv.error.issues.map((i) => i.message).join('; '));
  const keyFile = parsedEnv.data.GOOGLE_APPLICATION_CREDENTIALS;
  let text: string;
  try {
    text = fs.readFileSync(keyFile, 'utf8');
  } catch (e) {
    throw new GoogleAuthConfigError(
      `GOOGLE_APPLICATION_CREDENTIALS=${keyFile}: cannot read the key file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new GoogleAuthConfigError(`${keyFile}: not JSON (${(e as Error).message}); download the key again as JSON`);
  }
  const key = ServiceAccountKeySchema.safeParse(json);
  if (!key.success)
    throw new GoogleAuthConfigError(
      `${keyFile}: ${key.error.issues.map((i) => `${i.path.join('.') || 'key'}: ${i.message}`).join('; ')}`,
    );
  // googleapis re-exports google-auth-library: no second dependency to keep in step.
  const auth = new google.auth.GoogleAuth({
    credentials: { client_email: key.data.client_email, private_key: key.data.private_key },
    projectId: key.data.project_id,
    scopes: [SHEETS_SCOPE],
  });
  return { auth, serviceAccountEmail: key.data.client_email, keyFile };
}

/** For tests and tools that already hold an access token: no token endpoint is ever called. */
export function presetTokenAuth(accessToken: string): Auth.OAuth2Client {
  const client = new google.auth.OAuth2();
  client.setCredentials({ access_token: accessToken, token_type: 'Bearer', expiry_date: Date.now() + 3_600_000 });
  return client;
}
