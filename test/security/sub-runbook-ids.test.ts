// A sub-runbook node names the runbook it starts by id, and the API reads `<id>.yaml` from its
// runbooks folder. An id that is a path (`../docker-compose`) must be refused wherever it turns
// up — on save, in a file put on disk by hand, at the store — with the same 422 whether or not
// the file it points at exists, and the store must never open anything outside its folder.
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ApiError } from '../../apps/api/src/http/api-error.js';
import { RunbookStore } from '../../apps/api/src/runbooks/runbook-store.js';
import { FolderRunbookDocuments } from '../../apps/api/src/store/file/folder-runbook-documents.js';
import { startApiStack, type ApiStack } from '../support/api-stack.js';

let stack: ApiStack;
// A valid runbook file beside the runbooks folder, where a path id could reach it.
let outsideId: string;
let outsideFile: string;

const starts = (id: string, target: string) => ({
  id,
  title: id,
  nodes: [
    { id: 'prepare', kind: 'shell', config: { command: ['true'] } },
    { id: 'run-child', kind: 'subRunbook', config: { runbook: target } },
  ],
  edges: [{ from: 'prepare', to: 'run-child' }],
});

beforeAll(async () => {
  stack = await startApiStack({ worker: false, runbooks: {} });
  outsideId = `outside-${randomUUID().slice(0, 8)}`;
  outsideFile = join(dirname(stack.folder), `${outsideId}.yaml`);
  writeFileSync(outsideFile, stringify({ id: `../${outsideId}`, title: 'outside', nodes: [{ id: 'x', kind: 'shell', config: { command: ['true'] } }] }));
  // Put on disk by hand (git pull, an editor): the API never saved these.
  stack.runbooks!.write('to-existing.yaml', stringify(starts('to-existing', `../${outsideId}`)));
  stack.runbooks!.write('to-missing.yaml', stringify(starts('to-missing', '../no-such-file')));
  stack.runbooks!.write('to-compose.yaml', stringify(starts('to-compose', '../docker-compose')));
});

afterAll(async () => {
  rmSync(outsideFile, { force: true });
  await stack?.stop();
});

describe('sub-runbook ids are ids, never paths', () => {
  it('refuses a path as the runbook a node starts when the runbook is saved, naming the field', async () => {
    for (const target of ['../docker-compose', '../../etc/passwd', '/etc/hostname', 'Hello', 'a/b', '.hidden', 'x.yaml']) {
      const { status, body } = await stack.api.call('POST', '/api/runbooks', { source: stringify(starts(`saves-${randomUUID().slice(0, 6)}`, target)) });
      expect(status, target).toBe(422);
      expect(body.details, target).toContainEqual({ path: 'nodes.1.config.runbook', message: expect.stringMatching(/runbook id .*not a path/) });
    }
    const { status } = await stack.api.call('POST', '/api/runbooks', { source: stringify(starts('saves-fine', 'to-missing')) });
    expect(status).toBe(201);
  });

  it('refuses to start a runbook file whose node names a path: the same 422 whether that file exists or not', async () => {
    const answers = [];
    for (const id of ['to-existing', 'to-missing', 'to-compose']) {
      const { status, body } = await stack.api.call('POST', `/api/runbooks/${id}/runs`, { params: {} }, stack.api.tokens.operator);
      expect(status, id).toBe(422);
      expect(body.details, id).toContainEqual({ path: 'nodes.1.config.runbook', message: expect.stringMatching(/runbook id .*not a path/) });
      answers.push({ error: body.error, details: body.details });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[1]).toEqual(answers[2]);
  });

  it('never opens a file outside its folder, whatever id it is asked for', async () => {
    const store = new RunbookStore(new FolderRunbookDocuments(stack.folder));
    for (const id of [`../${outsideId}`, `..%2F${outsideId}`, `./../${outsideId}`, `${stack.folder}/../${outsideId}`, '']) {
      const error = await store.get(id).then(
        (stored) => new Error(`read ${stored.file}`),
        (e: unknown) => e,
      );
      expect(error, id).toBeInstanceOf(ApiError);
      expect((error as ApiError).status, id).toBe(422);
      expect((error as ApiError).message, id).toMatch(/not a runbook id/);
    }
    // Every listed runbook is a file of the folder.
    expect((await store.list()).map((s) => s.id).sort()).toEqual(['saves-fine', 'to-compose', 'to-existing', 'to-missing']);
  });

  it('answers a runbook id that is a path, in a request, with the field at fault', async () => {
    const { status, body } = await stack.api.call('GET', `/api/runbooks/${encodeURIComponent(`../${outsideId}`)}`);
    expect(status).toBe(400);
    expect(body.details).toContainEqual(expect.objectContaining({ path: 'path.runbookId' }));
  });
});
