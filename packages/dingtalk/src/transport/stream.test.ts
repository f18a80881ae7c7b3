import { DWClient } from 'dingtalk-stream';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config.js';
import { robotData, startFakeDingTalk, type FakeDingTalk } from '../testing/fake-dingtalk.js';
import { createHttpClient } from './http.js';
import { DingTalkStreamClient, type Delivery } from './stream.js';

let fake: FakeDingTalk | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
  await fake?.close();
  fake = undefined;
});

function client(f: FakeDingTalk, onRobotFrame: (frame: unknown, d: Delivery) => void = () => {}, heartbeatMs = 0) {
  const config = resolveConfig({ clientId: 'c', clientSecret: f.secret, robotCode: 'r', apiBase: f.url, reconnect: { baseMs: 10, maxMs: 20, heartbeatMs }, retry: { attempts: 2, baseMs: 1, maxMs: 1 } });
  const c = new DingTalkStreamClient({ config, http: createHttpClient(config), onRobotFrame, drainMs: 100 });
  cleanups.push(() => c.stop());
  return c;
}

describe('DingTalkStreamClient', () => {
  it('uses the endpoint the gateway returns as given, adding the ticket', async () => {
    fake = await startFakeDingTalk();
    fake.script('/v1.0/gateway/connections/open', { status: 200, body: { endpoint: `${fake.url.replace('http', 'ws')}/gw/v2/connect?region=cn`, ticket: 'ticket-A+B' } });
    const c = client(fake);
    await c.start();
    expect(fake.upgrades).toEqual(['/gw/v2/connect?region=cn&ticket=ticket-A%2BB']);
  });

  it('drops a connection whose pings go unanswered and reconnects', async () => {
    fake = await startFakeDingTalk({ autoPong: false });
    const c = client(fake, () => {}, 30);
    await c.start();
    await fake.waitFor(() => fake!.connections >= 2, 3_000);
    await fake.waitFor(() => c.state().reconnects >= 1);
  });

  it('keeps answering while its pings are answered', async () => {
    fake = await startFakeDingTalk();
    const c = client(fake, () => {}, 20);
    await c.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.connections).toBe(1);
  });

  it('acks a frame on the connection it arrived on, even after a reconnect', async () => {
    fake = await startFakeDingTalk();
    const deliveries: Delivery[] = [];
    const c = client(fake, (_frame, d) => deliveries.push(d));
    await c.start();
    const first = fake.sockets[0]!;
    const id = fake.callback(robotData());
    await fake.waitFor(() => deliveries.length === 1);
    fake.push({ specVersion: '1.0', type: 'SYSTEM', headers: { messageId: 'd', topic: 'disconnect' }, data: '{}' }, first);
    await fake.waitFor(() => fake!.sockets.length === 2);
    expect(deliveries[0]!.ack()).toBe(true);
    await fake.waitFor(() => fake!.acksFor(id).length === 1);
    // The drained connection is closed by the client after drainMs.
    await fake.waitFor(() => fake!.sockets.length === 1 && !fake!.sockets.includes(first));
    expect(deliveries[0]!.ack()).toBe(false);
  });
});

describe('dingtalk-stream DWClient (why the adapter supervises reconnection itself)', () => {
  it('revives a client after disconnect() when a reconnect was pending', async () => {
    fake = await startFakeDingTalk();
    const url = fake.url;
    class Pointed extends DWClient {
      override async getEndpoint(): Promise<this> {
        const res = await fetch(`${url}/v1.0/gateway/connections/open`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ clientSecret: 'secret-1' }) });
        const { endpoint, ticket } = (await res.json()) as { endpoint: string; ticket: string };
        (this as unknown as { dw_url: string }).dw_url = `${endpoint}?ticket=${ticket}`;
        return this;
      }
    }
    const sdk = new Pointed({ clientId: 'c', clientSecret: 's' });
    cleanups.push(() => {
      sdk.config.autoReconnect = false;
      sdk.disconnect();
    });
    await sdk.connect();
    expect(fake.connections).toBe(1);
    fake.sockets[0]!.close();
    await new Promise((r) => setTimeout(r, 100));
    sdk.disconnect();
    // The SDK's 1 s reconnect timer still fires and connects again.
    await fake.waitFor(() => fake!.connections === 2, 3_000);
  });
});
