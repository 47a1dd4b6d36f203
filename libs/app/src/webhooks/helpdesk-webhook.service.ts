import { BadRequestException, Inject, Injectable, NotFoundException, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { helpdeskConnectorFactory } from '@connectors/core/registry';
import { HelpdeskWebhookVerifier, WebhookPayloadRejected, WebhookRejected } from '@connectors/core/src';
import { APP_CONFIG, AppConfig, CLOCK, Clock, CredentialCipher } from '@libs/config/src';
import { ConnectionsRepository } from '@libs/db/src/repositories/connections.repository';
import { WebhookDeliveriesRepository } from '@libs/db/src/repositories/webhook-deliveries.repository';
import { DeliveryBatcher } from './delivery-batcher';
import { deliveryNotRecorded } from './delivery-errors';

interface VerifyingConnection {
  verifier: HelpdeskWebhookVerifier;
  signingSecret: string;
  kind: string;
  loadedAt: number;
}

/** How long a connection's signing secret is reused before it is read again. */
const SECRET_TTL_MS = 30_000;

/**
 * Takes a helpdesk webhook call: checks its signature and age and that its body can be stored
 * (each call on its own, before batching: a bad one gets its own 400), then records the delivery
 * once (unique per delivery id, and per signed content so a replay under a new invocation id is a
 * repeat), batched with concurrent calls. Nothing else happens on the request path; a worker turns
 * recorded deliveries into surveys, so a burst of webhooks never waits on planning.
 */
@Injectable()
export class HelpdeskWebhookService {
  private readonly cache = new Map<string, VerifyingConnection>();
  private readonly cipher: CredentialCipher;
  private readonly batcher: DeliveryBatcher;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cipher = CredentialCipher.fromConfig(config);
    this.batcher = new DeliveryBatcher(new WebhookDeliveriesRepository(db.manager));
  }

  private async connection(id: string): Promise<VerifyingConnection> {
    const cached = this.cache.get(id);
    if (cached && Date.now() - cached.loadedAt < SECRET_TTL_MS) return cached;
    const row = await new ConnectionsRepository(this.db.manager).webhookCredentials(id);
    const factory = row && helpdeskConnectorFactory(row.kind);
    if (!factory) throw new NotFoundException(`no helpdesk connection with id ${id}`);
    const credentials = this.cipher.decrypt<{ webhookSigningSecret?: string }>(row.credentials_encrypted);
    if (!credentials.webhookSigningSecret) {
      throw new UnauthorizedException('this connection has no webhook signing secret yet: run its setup first');
    }
    const entry = { verifier: factory.webhookVerifier, signingSecret: credentials.webhookSigningSecret, kind: row.kind, loadedAt: Date.now() };
    this.cache.set(id, entry);
    return entry;
  }

  /** Returns true when this delivery is new, false for a repeat. Throws 401 on a bad signature, 400 on a body that cannot be taken. */
  async receive(connectionId: string, rawBody: Buffer | undefined, headers: Record<string, string | string[] | undefined>): Promise<boolean> {
    try {
      const connection = await this.connection(connectionId);
      let event;
      try {
        event = connection.verifier.verify({ rawBody: rawBody ?? Buffer.alloc(0), headers, signingSecret: connection.signingSecret, now: this.clock.now() });
      } catch (error) {
        if (error instanceof WebhookPayloadRejected) throw new BadRequestException(error.message);
        if (error instanceof WebhookRejected) throw new UnauthorizedException(error.message);
        throw error;
      }
      return await this.batcher.record({
        connectionId,
        source: connection.kind,
        deliveryId: `${connectionId}:${event.deliveryId}`,
        contentKey: event.contentKey,
        eventType: `ticket.${event.ticket.status}`,
        payload: event.ticket,
      });
    } catch (error) {
      throw deliveryNotRecorded(error, connectionId);
    }
  }
}
