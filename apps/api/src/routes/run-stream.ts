import type { Router } from 'express';
import { Gauge } from 'prom-client';
import { routes, runStreamEvents, type RunView } from '@runwright/runbook';
import { bindStreamRoute } from '../http/bind-route.js';
import type { Metrics } from '../metrics.js';
import { RunWatchers, type RunReading, type RunSubscriber } from '../streams/run-watchers.js';
import type { AppContext } from '../app-context.js';
import { readRunView } from './runs.js';

/** How often a followed run is queried; the editor's canvas feels live at this pace. */
const pollMs = 500;

export function runStreamRoutes(router: Router, { temporal, settings, log }: AppContext, metrics: Metrics): void {
  const read = async (runId: string): Promise<RunReading> => {
    const view = await readRunView(temporal.client, settings, runId);
    return { view, running: view.temporalStatus === 'RUNNING' };
  };
  const watchers = new RunWatchers(read, pollMs, log);
  const heartbeatMs = Math.max(1, Number(settings.RUNWRIGHT_STREAM_HEARTBEAT_SECONDS) || 15) * 1000;
  new Gauge({
    name: 'runwright_run_stream_pollers',
    help: 'Runs followed by the run stream now: one poller per run, however many subscribers',
    registers: [metrics.registry],
    collect() {
      this.set(watchers.pollers);
    },
  });
  new Gauge({
    name: 'runwright_run_stream_subscribers',
    help: 'Open run stream connections',
    registers: [metrics.registry],
    collect() {
      this.set(watchers.subscribers);
    },
  });

  bindStreamRoute(router, routes.streamRun, async ({ params }, response) => {
    // Read before answering: a run that does not exist gets a JSON 404, not an empty stream.
    const first = await read(params.runId);
    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx buffers responses unless told not to, which would hold events back.
      'x-accel-buffering': 'no',
    });
    response.flushHeaders();
    const send = (event: string, data: string) => response.write(`event: ${event}\ndata: ${data}\n\n`);
    let lastSent = '';
    // The end event names the status the run closed with, which the last state carried.
    let lastStatus = first.view.temporalStatus;
    let leave = () => {};
    let heartbeat: NodeJS.Timeout | undefined;
    const close = () => {
      clearInterval(heartbeat);
      leave();
    };
    const subscriber: RunSubscriber = {
      state(json) {
        if (json === lastSent) return;
        lastSent = json;
        lastStatus = (JSON.parse(json) as RunView).temporalStatus;
        send(runStreamEvents.state, json);
      },
      end() {
        send(runStreamEvents.end, JSON.stringify({ runId: params.runId, temporalStatus: lastStatus }));
        close();
        response.end();
      },
    };
    subscriber.state(JSON.stringify(first.view));
    if (!first.running) {
      subscriber.end();
      return;
    }
    leave = watchers.subscribe(params.runId, subscriber);
    heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
    response.on('close', close);
  });
}
