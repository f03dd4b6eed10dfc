/** RFC 5321 caps a forward path at 256 octets, so an address is at most 254 characters. */
export const EMAIL_MAX = 254;

// Labels between the dots cannot contain a dot, so each character has one way to match: linear
// time on any input (the former `[^\s@]+\.[^\s@]+` tried every dot split: quadratic on long text).
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;

/** A plausible e-mail address (user@domain.tld), checked only after its length. */
export const isEmailAddress = (s: string): boolean => s.length <= EMAIL_MAX && EMAIL.test(s);
