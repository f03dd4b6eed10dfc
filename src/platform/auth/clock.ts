import { Injectable } from '@nestjs/common';

/** Wall-clock time for sign-in limits and one-time codes; tests replace `now` to move time without sleeping. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
