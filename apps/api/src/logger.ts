import pino from 'pino';
import type { Settings } from '@runwright/runbook';

export function createLogger(settings: Settings, name: string) {
  return pino({
    name,
    level: settings.RUNWRIGHT_LOG_LEVEL,
    ...(settings.RUNWRIGHT_LOG_FORMAT === 'pretty' && {
      transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname', translateTime: 'HH:MM:ss' } },
    }),
  });
}
