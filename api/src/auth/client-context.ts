import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import type { ApiConfig } from '@sightline/config';
import { CountryLookup } from '@sightline/enrich';
import { clientAddress } from '../common/client-address';
import { API_CONFIG } from '../common/tokens';
import type { ClientContext } from './auth.service';
import { describeSignIn } from './sign-in-context';

/** Turns a request into what sign-in records and rate limits need: IP (not stored), country, device. */
@Injectable()
export class ClientContextReader {
  constructor(
    @Inject(CountryLookup) private readonly countries: CountryLookup,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  read(req: Request): ClientContext {
    const ip = clientAddress(req, this.config.TRUSTED_PROXY_HOPS);
    return { ip, ...describeSignIn(this.countries, ip, req.headers['user-agent'] ?? '') };
  }
}
