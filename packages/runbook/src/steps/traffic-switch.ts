import { z } from 'zod';
import { defineStep } from './define-step.js';
import { assertionSchema } from './http.js';

export const trafficServerSchema = z.strictObject({
  /** `host:port` of one backend server. */
  address: z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'host:port'),
  weight: z.number().int().min(1).max(256).optional(),
  /** Receives traffic only when the others are down. */
  backup: z.boolean().default(false),
});

/**
 * Points a load balancer's upstream (nginx) or backend (HAProxy) at new servers. The step owns
 * one include file holding just that block: it writes the new file atomically, keeps the old
 * one as `<file>.previous`, validates (`nginx -t` / `haproxy -c`) before reloading, reloads,
 * then checks through the front that traffic reaches the new servers — any failure puts the
 * previous file back (and reloads again if it had reloaded). `action: restorePrevious` is the
 * rollback: it swaps `<file>.previous` back in the same careful way.
 * Idempotent: writing the same servers again changes nothing and keeps the real previous file.
 */
export const trafficSwitch = defineStep({
  type: 'traffic.switch',
  execution: 'action',
  category: 'actions',
  idempotent: true,
  config: z
    .object({
      balancer: z.enum(['nginx', 'haproxy']),
      action: z.enum(['switch', 'restorePrevious']).default('switch'),
      /** The include file this step owns (absolute path on the balancer's worker). */
      configFile: z.string().regex(/^\//, 'an absolute path'),
      /** Name of the nginx upstream / HAProxy backend the front sends to. */
      upstream: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _, . and -'),
      servers: z.array(trafficServerSchema).min(1).optional(),
      /** argv that validates the whole configuration; default `nginx -t` or `haproxy -c -f /etc/haproxy/haproxy.cfg -f <configFile>`. */
      validate: z.array(z.string()).min(1).optional(),
      /** argv that reloads gracefully; default `nginx -s reload` or `systemctl reload haproxy`. */
      reload: z.array(z.string()).min(1).optional(),
      verify: z
        .strictObject({
          /** A URL served through the front. */
          url: z.string().min(1),
          /** JSONata over `{ status, body, headers }` that must give true once the new servers answer. */
          assert: assertionSchema,
          attempts: z.number().int().positive().max(100).default(10),
          intervalMs: z.number().int().positive().default(500),
          /**
           * Checks in a row that must pass: during a graceful reload the old workers still answer
           * for a moment, so one answer from the new servers is not yet proof.
           */
          consecutive: z.number().int().positive().max(20).default(3),
        })
        .optional(),
    })
    .refine((c) => c.action === 'restorePrevious' || c.servers !== undefined, { message: 'servers are needed to switch', path: ['servers'] }),
  output: z.object({
    configFile: z.string(),
    previousFile: z.string(),
    changed: z.boolean(),
    reloaded: z.boolean(),
    verified: z.boolean(),
    content: z.string(),
  }),
  meta: {
    label: 'Switch traffic',
    icon: 'shuffle',
    description: 'Point an nginx upstream or HAProxy backend at new servers: validate, reload, verify, keep the previous config.',
    fields: {
      configFile: { label: 'Managed include file', widget: 'text', placeholder: '/etc/nginx/conf.d/upstream-api.conf' },
      servers: { label: 'Servers', widget: 'list' },
      verify: { label: 'Verify through the front' },
      action: { label: 'Action', widget: 'select' },
    },
  },
});
