import { Controller, Get, Header, Inject } from '@nestjs/common';
import { Endpoint } from '../common/endpoint.decorator';
import { OPENAPI_DOCUMENT } from '../common/tokens';

export const DOCS_ASSETS_PATH = '/api/docs/assets';

@Controller('api/docs')
export class DocsController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: Record<string, unknown>) {}

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Endpoint({ summary: 'API reference (Swagger UI)', access: 'public', tag: 'meta' })
  ui(): string {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sightline API</title>
<link rel="stylesheet" href="${DOCS_ASSETS_PATH}/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="${DOCS_ASSETS_PATH}/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>`;
  }

  @Get('init.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Endpoint({ summary: 'Swagger UI start-up script', access: 'public', tag: 'meta' })
  init(): string {
    return "window.ui = SwaggerUIBundle({ url: '/api/docs/openapi.json', dom_id: '#swagger-ui' });";
  }

  @Get('openapi.json')
  @Endpoint({ summary: 'The OpenAPI 3.1 document', access: 'public', tag: 'meta' })
  openApi(): Record<string, unknown> {
    return this.document;
  }
}
