// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../electron/simulator/index.ts';
import { caller, start } from './helpers.ts';
import { SANDBOX_CARD } from '../support/cards.ts';

let sim: RunningSimulator;
let receiver: Server;
let received: unknown[];
let receiverUrl: string;

beforeEach(async () => {
  received = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const addr = receiver.address();
  receiverUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/hook`;
  sim = await start();
  sim.control.setBalance('USD', 5000);
});
afterEach(async () => {
  await sim.stop();
  await new Promise<void>((r) => receiver.close(() => r()));
});

async function payAndResolve(firstName = 'Ana'): Promise<string> {
  const o = sim.control.createOrder();
  await caller(sim)('pay', { orderNo: o.orderNo, paymentMethod: 3, creditCard: { ...SANDBOX_CARD, cardHolderFirstName: firstName } });
  sim.control.advanceClock(5000);
  await sim.control.flushWebhooks();
  return o.orderNo;
}

describe('webhooks', () => {
  it('posts order.ticketed with integer orderStatus 2 and the tickets', async () => {
    sim.control.setWebhook(receiverUrl);
    const orderNo = await payAndResolve();
    expect(received).toEqual([
      { cid: sim.clientId, type: 'order.ticketed', status: -1, data: { orderNo, orderStatus: 2, paxTicketInfos: [expect.objectContaining({ ticketNos: [expect.any(String)] })] } },
    ]);
    expect(sim.control.webhookDeliveries()).toEqual([expect.objectContaining({ delivered: true, dropped: false })]);
  });

  it('posts the cancellation as order.cancelled by default', async () => {
    sim.control.setWebhook(receiverUrl);
    const orderNo = await payAndResolve('Reject');
    expect(received).toEqual([{ cid: sim.clientId, type: 'order.cancelled', status: -1, data: { orderNo, errorCode: '604', errorMessage: expect.any(String) } }]);
  });

  it('posts the cancellation as order.ticketed with orderStatus -3 when the switch says so', async () => {
    sim.control.setWebhook(receiverUrl);
    sim.control.setSwitches({ cancellationWebhookShape: 'order.ticketed' });
    const orderNo = await payAndResolve('Three DS');
    expect(received).toEqual([
      { cid: sim.clientId, type: 'order.ticketed', status: -1, data: expect.objectContaining({ orderNo, orderStatus: -3, errorCode: '616' }) },
    ]);
  });

  it('sends each event twice with duplicate, and none with dropRate 1', async () => {
    sim.control.setWebhook(receiverUrl, { duplicate: true });
    await payAndResolve();
    expect(received).toHaveLength(2);
    received = [];
    sim.control.setWebhook(receiverUrl, { dropRate: 1 });
    await payAndResolve();
    expect(received).toHaveLength(0);
    expect(sim.control.webhookDeliveries().slice(-1)).toEqual([expect.objectContaining({ delivered: false, dropped: true })]);
  });

  it('records a failed delivery without throwing when the receiver is down', async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    sim.control.setWebhook(receiverUrl);
    await payAndResolve();
    expect(sim.control.webhookDeliveries()).toEqual([expect.objectContaining({ delivered: false, dropped: false })]);
    receiver.listen(0, '127.0.0.1'); // so afterEach can close it again
  });
});
