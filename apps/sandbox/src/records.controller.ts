import { BadRequestException, Controller, Get, Header, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PAGE_SIZE, renderRecord, renderRecordList } from './record-pages';
import { SANDBOX_STATE, SandboxState } from './sandbox-state';
import { ServedSandbox } from './sandboxes';
import { SandboxRecordList } from './kit/sandbox-demo';

/** /sandbox/records/<kind>/<list>[/<id>]: the sandboxes' records as the vendors' users see them. */
@ApiExcludeController()
@Controller('sandbox/records')
export class SandboxRecordsController {
  constructor(@Inject(SANDBOX_STATE) private readonly state: SandboxState) {}

  private find(kind: string, listName: string): { served: ServedSandbox; name: string; list: SandboxRecordList } {
    const served = this.state.sandboxes?.get(kind);
    if (!served) throw new NotFoundException(`no sandbox ${kind} runs here`);
    const list = served.sandbox.records?.().find((l) => l.name === listName);
    if (!list) throw new NotFoundException(`the ${kind} sandbox has no list ${listName}`);
    return { served, name: served.kit.connection(served.baseUrl).name, list };
  }

  @Get(':kind/:list')
  @Header('Content-Type', 'text/html; charset=utf-8')
  list(@Param('kind') kind: string, @Param('list') listName: string, @Query('page') page?: string): string {
    const { name, list } = this.find(kind, listName);
    const number = page === undefined ? 1 : Number(page);
    const pages = Math.max(1, Math.ceil(list.records.length / PAGE_SIZE));
    if (!Number.isInteger(number) || number < 1 || number > pages) throw new BadRequestException([`page: must be a whole number from 1 to ${pages}, got "${page}"`]);
    return renderRecordList(name, kind, list, number);
  }

  @Get(':kind/:list/:id')
  @Header('Content-Type', 'text/html; charset=utf-8')
  record(@Param('kind') kind: string, @Param('list') listName: string, @Param('id') id: string): string {
    const { name, list } = this.find(kind, listName);
    const record = list.records.find((r) => r.id === id);
    if (!record) throw new NotFoundException(`no ${listName} record ${id} in the ${kind} sandbox`);
    return renderRecord(name, kind, list, record);
  }
}
