import { z } from 'zod';
import { defineStep } from './define-step.js';
import { secretOr } from './secret-ref.js';

const webhookSchema = z.strictObject({
  url: secretOr(z.string().min(1)),
  headers: z.record(z.string(), secretOr(z.string())).default({}),
});

const slackSchema = z.strictObject({
  /** Slack's incoming-webhook URL is itself a credential: use `{ secret: NAME }`. */
  webhookUrl: secretOr(z.string().min(1)),
  channel: z.string().optional(),
});

const emailSchema = z.strictObject({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535).default(587),
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: z.boolean().default(false),
  requireTls: z.boolean().default(false),
  user: z.string().optional(),
  password: secretOr(z.string()).optional(),
  from: z.string().min(3),
  to: z.array(z.string().min(3)).min(1),
});

/**
 * Tells people what a run is doing: a generic JSON webhook, a Slack-compatible incoming
 * webhook, and/or email over SMTP. Not idempotent — a retry may repeat a message that got
 * through — but every message carries the step's idempotency key (the `idempotency-key`
 * header, and the email's Message-ID) so receivers can drop repeats. Webhooks obey the
 * worker's outbound address policy; SMTP goes to the relay named here.
 */
export const notify = defineStep({
  type: 'notify',
  execution: 'action',
  category: 'actions',
  idempotent: false,
  config: z
    .object({
      title: z.string().min(1),
      message: z.string().default(''),
      webhook: webhookSchema.optional(),
      slack: slackSchema.optional(),
      email: emailSchema.optional(),
      timeoutMs: z.number().int().positive().default(15_000),
    })
    .refine((c) => c.webhook || c.slack || c.email, { message: 'give at least one of webhook, slack or email', path: ['webhook'] }),
  output: z.object({
    delivered: z.array(z.object({ channel: z.enum(['webhook', 'slack', 'email']), detail: z.string() })),
  }),
  meta: {
    label: 'Notify',
    icon: 'bell',
    description: 'Send a message to a webhook, a Slack channel or by email.',
    fields: {
      message: { label: 'Message', widget: 'textarea' },
      webhook: { label: 'JSON webhook' },
      slack: { label: 'Slack incoming webhook' },
      email: { label: 'Email (SMTP)' },
    },
  },
});
