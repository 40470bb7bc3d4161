import { describe, expect, it } from 'vitest';
import { actionTypes, readSettings, stepKinds } from '@runwright/runbook';
import { actionImplementations, createActivities } from '../../../workers/src/activities/index.js';
import { activityConfigFromSettings, workerKinds } from '../../../workers/src/config/worker-config.js';

describe('which kinds a worker offers', () => {
  it('reads RUNWRIGHT_WORKER_KINDS, offering every kind when it is empty', () => {
    expect(workerKinds(readSettings({}))).toEqual(actionTypes);
    expect(workerKinds(readSettings({ RUNWRIGHT_WORKER_KINDS: ' shell , http ' }))).toEqual(['shell', 'http']);
    expect(() => workerKinds(readSettings({ RUNWRIGHT_WORKER_KINDS: 'shell,telnet' }))).toThrow(/unknown action kinds: telnet/);
  });

  it('registers activities only for the kinds offered', () => {
    const config = activityConfigFromSettings(readSettings({}), {});
    expect(Object.keys(createActivities(['shell'], config))).toEqual(['shell']);
    expect(Object.keys(createActivities(undefined, config)).sort()).toEqual([...actionTypes].sort());
  });

  it('has an activity for every action kind and only for action kinds', () => {
    expect(Object.keys(actionImplementations).sort()).toEqual([...actionTypes].sort());
    for (const type of actionTypes) expect(stepKinds[type].meta.label.length).toBeGreaterThan(0);
  });

  it('reads the outbound allow-list and refuses malformed entries at start', () => {
    expect(activityConfigFromSettings(readSettings({ RUNWRIGHT_OUTBOUND_ALLOW: '127.0.0.1/32, [::1]:22' }), {}).addresses.allow).toEqual(['127.0.0.1/32', '[::1]:22']);
    // The former name still counts, added to the new one.
    expect(activityConfigFromSettings(readSettings({ RUNWRIGHT_OUTBOUND_ALLOW: 'db.internal:5432', RUNWRIGHT_HTTP_ALLOW: '::1' }), {}).addresses.allow).toEqual(['db.internal:5432', '::1']);
    expect(() => activityConfigFromSettings(readSettings({ RUNWRIGHT_OUTBOUND_ALLOW: 'intranet' }), {})).toThrow(/"intranet" is not an address, a CIDR, address:port or host:port/);
  });
});
