/**
 * The sidebars' server functions, over any synchronous Workbook: Apps Script in production, a
 * MemoryWorkbook or .xlsx in the local harness. The sidebar is not trusted: every call re-reads the
 * sheet and re-checks who the active user is and what the shared rules allow.
 */
import type { ServerApi } from '../api';
import { adminEndpoints } from './admin-endpoints';
import { approvalEndpoints } from './approval-endpoints';
import { attendanceEndpoints } from './attendance-endpoints';
import type { ServerContext } from './context';
import { eligibilityEndpoints } from './eligibility-endpoints';
import { importEndpoints } from './import-endpoints';
import { createSession } from './session';

export { UserError, userMessage } from './user-messages';

export function createServerApi(ctx: ServerContext): ServerApi {
  const session = createSession(ctx);
  return {
    ...eligibilityEndpoints(session),
    ...approvalEndpoints(session),
    ...importEndpoints(session),
    ...adminEndpoints(session),
    ...attendanceEndpoints(session),
  };
}
