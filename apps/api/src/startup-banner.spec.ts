import { Logger as NestLogger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger, LoggerModule } from 'nestjs-pino';
import { frameBanner, writeAfterLogs } from '@libs/app/src/runtime/startup-banner';

describe('the start banner', () => {
  afterEach(() => jest.restoreAllMocks());

  it('comes out after the log lines still queued for stdout, never before them', async () => {
    const terminal: string[] = [];
    const queued: string[] = [];
    // Like pino's asynchronous stdout: lines wait in a queue until the write completes.
    const destination = { write: (chunk: string) => void queued.push(chunk) };
    @Module({ imports: [LoggerModule.forRoot({ pinoHttp: [{ base: null }, destination] })] })
    class LoggingModule {}
    const app = await NestFactory.createApplicationContext(LoggingModule, { bufferLogs: true });
    app.useLogger(app.get(Logger));
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => terminal.push(String(chunk)) > 0);
    try {
      new NestLogger('RouterExplorer').log('Mapped {/api/program, GET} route');
      new NestLogger('NestApplication').log('Nest application successfully started');
      await writeAfterLogs(app, frameBanner(['nps-bridge API:  http://localhost:3000/api']));
      terminal.push(...queued.splice(0));
    } finally {
      jest.restoreAllMocks();
      await app.close();
    }

    const messages = terminal.map((chunk) => (chunk.startsWith('{') ? JSON.parse(chunk).msg : 'banner'));
    expect(messages.slice(-3)).toEqual(['Mapped {/api/program, GET} route', 'Nest application successfully started', 'banner']);
  });

  it('frames the lines between blank lines and rules, indented', () => {
    const text = frameBanner(['nps-bridge API:  http://localhost:3000/api', 'admin key:       npsb_x']);
    const lines = text.split('\n');
    expect(lines[0]).toBe('');
    expect(lines[1]).toMatch(/^═{40,}$/);
    expect(lines.slice(2, 4)).toEqual(['  nps-bridge API:  http://localhost:3000/api', '  admin key:       npsb_x']);
    expect(lines[4]).toBe(lines[1]);
    expect(text.endsWith('\n\n')).toBe(true);
  });
});
