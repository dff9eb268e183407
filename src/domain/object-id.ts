import { randomBytes } from 'node:crypto';

/** A 24-hex ObjectId as Atlas uses for every resource id (4-byte seconds, 5 random bytes, 3-byte counter). */
export type ObjectIdString = string;

const OBJECT_ID = /^[a-f0-9]{24}$/;
const processUnique = randomBytes(5).toString('hex');
let counter = randomBytes(3).readUIntBE(0, 3);

/** Returns a new ObjectId; ids made later in one process sort after earlier ones. */
export function newObjectId(now: Date = new Date()): ObjectIdString {
  counter = (counter + 1) % 0xffffff;
  const seconds = Math.floor(now.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return seconds + processUnique + counter.toString(16).padStart(6, '0');
}

/** True when `value` is a lower-case 24-hex ObjectId (Atlas's `^([a-f0-9]{24})$`). */
export function isObjectId(value: unknown): value is ObjectIdString {
  return typeof value === 'string' && OBJECT_ID.test(value);
}
