interface Node<T> {
  children: Map<string, Node<T>>;
  value?: T;
}

/** Segment-aware longest-prefix lookup: one map lookup per path segment, whatever the number of
 * prefixes, and `/a/events` never matches `/a/eventsX`. */
export class PrefixTrie<T> {
  private readonly root: Node<T> = { children: new Map() };

  /** Returns false when the prefix already has a value. */
  insert(prefix: string, value: T): boolean {
    let node = this.root;
    for (const seg of prefix.split('/')) {
      if (seg === '') continue;
      let child = node.children.get(seg);
      if (!child) {
        child = { children: new Map() };
        node.children.set(seg, child);
      }
      node = child;
    }
    if (node.value !== undefined) return false;
    node.value = value;
    return true;
  }

  /** Every value on the way to `path`, shortest prefix first (the slow path: 404 and 405 answers). */
  all(path: string): T[] {
    const found: T[] = [];
    let node = this.root;
    if (node.value !== undefined) found.push(node.value);
    for (const seg of path.split('/')) {
      if (seg === '') continue;
      const child = node.children.get(seg);
      if (!child) break;
      node = child;
      if (node.value !== undefined) found.push(node.value);
    }
    return found;
  }

  longest(path: string): T | undefined {
    let node = this.root;
    let best = node.value;
    let start = 1;
    while (start <= path.length) {
      let end = path.indexOf('/', start);
      if (end === -1) end = path.length;
      if (end > start) {
        const child = node.children.get(path.slice(start, end));
        if (!child) break;
        node = child;
        if (node.value !== undefined) best = node.value;
      }
      start = end + 1;
    }
    return best;
  }
}
