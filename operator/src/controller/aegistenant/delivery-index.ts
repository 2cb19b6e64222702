import type { Delivery, GatewayReplica } from './conditions';

/**
 * Which tenants a change of one gateway replica's reported state concerns, so that a Lease renewal
 * that changes nothing enqueues nothing and one that moves the replica's watermark enqueues only the
 * tenants whose pieces lie between the old and the new watermark (docs/adr/0022). The reconciler
 * records, per tenant, the resourceVersion of the piece that carries its current generation and
 * whether it was Programmed.
 */
export class DeliveryIndex {
  /** resourceVersions as integers (etcd's), parsed once: a watermark move compares against all. */
  private readonly required = new Map<string, bigint>();
  private readonly pieces = new Map<string, string>();
  private readonly pending = new Set<string>();
  private readonly known = new Set<string>();

  record(tenant: string, delivery: Delivery | undefined, programmed: boolean): void {
    this.known.add(tenant);
    for (const [piece, owner] of this.pieces) if (owner === tenant) this.pieces.delete(piece);
    const rv = delivery && 'piece' in delivery ? toBig(delivery.resourceVersion) : undefined;
    if (delivery && 'piece' in delivery && rv !== undefined) {
      this.required.set(tenant, rv);
      this.pieces.set(delivery.piece, tenant);
    } else this.required.delete(tenant);
    if (programmed) this.pending.delete(tenant);
    else this.pending.add(tenant);
  }

  forget(tenant: string): void {
    this.known.delete(tenant);
    this.required.delete(tenant);
    this.pending.delete(tenant);
    for (const [piece, owner] of this.pieces) if (owner === tenant) this.pieces.delete(piece);
  }

  /** Every tenant the index knows (when the set of running replicas becomes or stops being empty). */
  all(): string[] {
    return [...this.known];
  }

  pendingCount(): number {
    return this.pending.size;
  }

  /**
   * Tenants whose Programmed condition may change when a running replica goes from `before` to
   * `after` (undefined: not running). A replica joining can only take Programmed away from tenants
   * above its watermark; one leaving can only give it to pending tenants; a moving watermark
   * concerns the tenants between the two values; a changed refusal list, the pieces added or removed.
   */
  affected(before: GatewayReplica | undefined, after: GatewayReplica | undefined): Set<string> {
    const out = new Set<string>();
    if (!before && !after) return out;
    if (!before) {
      const w = toBig(after!.applied);
      for (const [tenant, rv] of this.required) if (!covers(w, rv)) out.add(tenant);
      for (const piece of after!.rejected) this.addOwner(out, piece);
      return out;
    }
    if (!after) {
      for (const tenant of this.pending) out.add(tenant);
      return out;
    }
    if (before.applied !== after.applied) {
      const [b, a] = [toBig(before.applied), toBig(after.applied)];
      for (const [tenant, rv] of this.required) if (covers(b, rv) !== covers(a, rv)) out.add(tenant);
    }
    for (const piece of before.rejected) if (!after.rejected.has(piece)) this.addOwner(out, piece);
    for (const piece of after.rejected) if (!before.rejected.has(piece)) this.addOwner(out, piece);
    return out;
  }

  private addOwner(out: Set<string>, piece: string): void {
    const owner = this.pieces.get(piece);
    if (owner !== undefined) out.add(owner);
  }
}

const toBig = (rv: string | undefined): bigint | undefined =>
  rv !== undefined && /^\d+$/.test(rv) ? BigInt(rv) : undefined;

function covers(applied: bigint | undefined, rv: bigint): boolean {
  return applied !== undefined && applied >= rv;
}
