// IPv4 and IPv6 addresses against CIDR blocks, for "is this source address inside the cluster's networks".

function ipv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = (value << 8n) | BigInt(part);
  }
  return value;
}

function ipv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head = '', tail] = text.split('::');
  const groups = (side: string): string[] => (side === '' ? [] : side.split(':'));
  let left = groups(head);
  let right = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const last = (tail === undefined ? left : right).at(-1);
  if (last?.includes('.')) {
    const v4 = ipv4(last);
    if (v4 === undefined) return undefined;
    const pair = [(v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
    if (tail === undefined) left = [...left.slice(0, -1), ...pair];
    else right = [...right.slice(0, -1), ...pair];
  }
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  let value = 0n;
  for (const group of [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

interface Address {
  value: bigint;
  bits: 32 | 128;
}

export function parseAddress(text: string): Address | undefined {
  const v4 = ipv4(text);
  if (v4 !== undefined) return { value: v4, bits: 32 };
  const v6 = ipv6(text);
  return v6 === undefined ? undefined : { value: v6, bits: 128 };
}

export interface Cidr {
  text: string;
  base: bigint;
  prefix: number;
  bits: 32 | 128;
}

/** `10.0.0.0/16` → a block; throws saying what is wrong, since CIDRs come from configuration. */
export function parseCidr(text: string): Cidr {
  const [address = '', prefixText, ...rest] = text.trim().split('/');
  const parsed = parseAddress(address);
  const prefix = prefixText === undefined ? parsed?.bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!parsed || rest.length > 0 || prefix === undefined || !(prefix >= 0 && prefix <= parsed.bits)) {
    throw new Error(`"${text}" is not a CIDR block (expected e.g. 10.0.0.0/16 or fd00::/8)`);
  }
  const shift = BigInt(parsed.bits - prefix);
  return { text, base: (parsed.value >> shift) << shift, prefix, bits: parsed.bits };
}

export function inCidr(address: string, cidr: Cidr): boolean {
  const parsed = parseAddress(address);
  if (!parsed || parsed.bits !== cidr.bits) return false;
  const shift = BigInt(cidr.bits - cidr.prefix);
  return (parsed.value >> shift) << shift === cidr.base;
}

export function inAnyCidr(address: string, cidrs: readonly Cidr[]): boolean {
  return cidrs.some((cidr) => inCidr(address, cidr));
}
