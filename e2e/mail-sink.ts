import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP peer on loopback: the app's nodemailer delivers to it; browser tests read what arrived. */

export interface Delivery {
  to: string[];
  raw: Buffer;
}

export class MailSink {
  readonly deliveries: Delivery[] = [];
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, session, callback) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        // Stored before the 250 reply: when the app's request returns, the mail is already here.
        this.deliveries.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });

  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.on('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  to(address: string): Delivery[] {
    return this.deliveries.filter((d) => d.to.includes(address.toLowerCase()));
  }

  /** The n-th message (1-based) delivered to an address, parsed; waits a little for it. */
  async nth(address: string, n: number, timeoutMs = 5000): Promise<ParsedMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const d = this.to(address)[n - 1];
      if (d) return simpleParser(d.raw);
      if (Date.now() > deadline) throw new Error(`no message #${n} to ${address} within ${timeoutMs} ms (${this.deliveries.length} delivered in all)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
