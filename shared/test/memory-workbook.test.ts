import { MemoryWorkbook } from '../src/memory-workbook';
import { workbookContract } from './workbook-contract';

workbookContract('in-memory', () => {
  const workbook = new MemoryWorkbook();
  return {
    workbook,
    reopen: () => workbook,
    readValidations: (tab) => workbook.validations(tab),
    readProtections: (tab) => workbook.protections(tab),
    readLook: (tab) => workbook.look(tab),
  };
});
