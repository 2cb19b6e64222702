import { ApprovalsClientError, createApprovalsClient } from './client';
import { agent, newApproval, reviewer, startHarness, type Harness } from './__tests__/harness';
import type { NewApproval } from './operations/create';

describe('createApprovalsClient', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates, reads and follows the outbox of the tenant it names, with a service token', async () => {
    const token = async () => (await h.headers(agent)).authorization.slice('Bearer '.length);
    const client = createApprovalsClient({ baseUrl: `${h.base}/`, token });
    const created = await client.create('tenant-x', newApproval() as unknown as NewApproval);
    expect(created).toMatchObject({ tenant_id: 'tenant-x', status: 'pending' });
    expect((await client.get('tenant-x', created.approval_id)).snapshot.digest).toMatch(/^[0-9a-f]{64}$/);
    await h.request(reviewer('rita', 'tenant-x'), 'POST', `/approvals/${created.approval_id}/decide`, {
      decision: 'approved',
    });
    const page = await client.outbox('tenant-x', 0);
    expect(page.data.map((e) => e.approval_id)).toEqual([created.approval_id]);
    await expect(client.get('tenant-y', created.approval_id)).rejects.toEqual(
      expect.objectContaining({ status: 404 }) as ApprovalsClientError,
    );
  });
});
