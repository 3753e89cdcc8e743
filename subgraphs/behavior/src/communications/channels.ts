import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Logger, SubgraphConfig } from '@pathway/kit';
import type { BehaviorEnv } from '../env.ts';

/** A rendered message on its way to one guardian. */
export interface OutgoingMessage {
  logId: string;
  /** The channel's address (email, phone); null for the in-app inbox. */
  to: string | null;
  subject: string | null;
  body: string;
}

/**
 * How a message leaves: `send` resolves once the channel has taken it and throws when it has not
 * (the job then retries with backoff). Channels never log a message's text: it is about a student.
 */
export interface Channel {
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

/** Email over SMTP (nodemailer): sent once the server accepts it for the recipient. */
export function smtpChannel(url: string, from: string, timeoutMs: number): Channel {
  const options: SMTPTransport.Options = { url, connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs };
  const mailer = nodemailer.createTransport(options);
  return {
    name: 'email',
    async send(message) {
      if (!message.to) throw new Error('the guardian has no email address');
      await mailer.sendMail({ from, to: message.to, subject: message.subject ?? '', text: message.body });
    },
  };
}

/** The default where no provider is configured: records that a message would have gone (its id and channel only). */
export function logChannel(name: string, log: Logger): Channel {
  return {
    name,
    async send(message) {
      log.info({ communicationLogId: message.logId, channel: name }, 'message written to the log channel (no provider configured)');
    },
  };
}

/** In-app: the log row is the guardian's inbox entry, so taking the message is marking it sent. */
export const inboxChannel: Channel = { name: 'app', send: async () => {} };

export type Channels = Record<'email' | 'sms' | 'app', Channel>;

/** The channels of this process: email over SMTP when BEHAVIOR_SMTP_URL is set, else the log channel; no SMS provider yet (log channel). */
export function channelsFrom(config: SubgraphConfig<BehaviorEnv>, log: Logger): Channels {
  return {
    email: config.BEHAVIOR_SMTP_URL
      ? smtpChannel(config.BEHAVIOR_SMTP_URL, config.BEHAVIOR_SMTP_FROM, config.BEHAVIOR_SMTP_TIMEOUT_MS)
      : logChannel('email', log),
    sms: logChannel('sms', log),
    app: inboxChannel,
  };
}
