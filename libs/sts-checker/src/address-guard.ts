// Safety: the checker contacts only public unicast addresses unless tests allow private ones.
import ipaddr from 'ipaddr.js';

/** ipaddr.js range name, e.g. `unicast`, `loopback`, `private`, `linkLocal`, `uniqueLocal`. */
export function addressRange(address: string): string {
  if (!ipaddr.isValid(address)) return 'invalid';
  return ipaddr.process(address).range();
}

export function isPublicAddress(address: string): boolean {
  return addressRange(address) === 'unicast';
}

export function mayContact(address: string, allowPrivate: boolean): boolean {
  return allowPrivate ? ipaddr.isValid(address) : isPublicAddress(address);
}
