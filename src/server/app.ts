/**
 * Builds the Fastify application: security headers, cookies, rate limits, zod validation, the OpenAPI
 * document at /api/docs, session authentication, CSRF protection, the routes and the web app.
 * A request flows: authenticate (hook) → validate (zod) → authorize (route) → service → present.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import { AppError, ERROR_STATUS } from './errors.ts';
import { resolveSession, type AuthDeps, type ResolvedSession } from './auth/auth-service.ts';
import type { SecretBox } from './auth/secret-box.ts';
import type { RequestContext } from './context.ts';
import { registerRoutes } from './routes/index.ts';
import type { CatalogVersion } from '../domain/catalog/resolve.ts';
import type { BlobStore } from './evidence/blob-store.ts';

export const SESSION_COOKIE = 'anjian_session';
export const CSRF_COOKIE = 'anjian_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export interface AppDeps {
  db: Database;
  config: Config;
  secrets: SecretBox;
  catalog: CatalogVersion[];
  blobs: BlobStore;
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyRequest {
    session: ResolvedSession | null;
  }
  interface FastifyContextConfig {
    /** 'none': public; 'partial': allowed before MFA / password change; default: a full session. */
    auth?: 'none' | 'partial' | 'full';
  }
}

export type App = FastifyInstance<any, any, any, any, ZodTypeProvider>;

export function requestContext(request: FastifyRequest): RequestContext {
  const session = request.session;
  return {
    actor: session?.actor ?? { userId: null, email: null, isPlatformAdmin: false, roles: new Map() },
    ip: request.ip,
    via: 'api',
  };
}

/** The session of an authenticated request (the hook has checked it). */
export function sessionOf(request: FastifyRequest): ResolvedSession {
  if (!request.session) throw new AppError('UNAUTHENTICATED', '請先登入', { messageEn: 'Sign in first' });
  return request.session;
}

export function setSessionCookies(reply: FastifyReply, config: Config, token: string, csrfToken: string): void {
  const common = { path: '/', sameSite: 'strict' as const, secure: config.secureCookies };
  reply.setCookie(SESSION_COOKIE, token, { ...common, httpOnly: true, maxAge: config.sessionAbsoluteHours * 3600 });
  reply.setCookie(CSRF_COOKIE, csrfToken, { ...common, httpOnly: false, maxAge: config.sessionAbsoluteHours * 3600 });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}

const WEB_DIST = fileURLToPath(new URL('../../dist/web', import.meta.url));

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    logger: deps.config.logLevel === 'silent' ? false : {
      level: deps.config.logLevel,
      redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'body.password', 'body.newPassword', 'body.currentPassword'],
    },
    trustProxy: process.env.ANJIAN_TRUST_PROXY === 'true',
    bodyLimit: 2 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('session', null);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    hsts: deps.config.secureCookies,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: deps.config.maxUploadBytes, files: 20 } });
  await app.register(swagger, {
    openapi: {
      info: { title: 'anjian 安檢 API', version: '1.0.0', description: '證券商資通安全檢查平台 API' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', uiConfig: { docExpansion: 'none' } });

  const authDeps: AuthDeps = { db: deps.db, config: deps.config, secrets: deps.secrets, now: deps.now };

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/')) return;
    // No such route: the not-found handler answers 404 whether or not anyone is signed in (the routes
    // are public in /api/docs anyway), instead of a misleading "sign in first".
    // (With the web app built, the static wildcard route '/*' catches such paths: not an API route either.)
    if (!request.routeOptions.url?.startsWith('/api/')) return;
    const token = request.cookies[SESSION_COOKIE];
    request.session = await resolveSession(authDeps, token);
    const mode = request.routeOptions.config?.auth ?? 'full';
    if (mode === 'none') return;
    if (!request.session) {
      throw new AppError('UNAUTHENTICATED', '請先登入', { messageEn: 'Sign in first' });
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const header = request.headers[CSRF_HEADER];
      if (typeof header !== 'string' || header !== request.session.csrfToken) {
        throw new AppError('FORBIDDEN', 'CSRF 驗證失敗，請重新整理頁面', { messageEn: 'CSRF token missing or wrong: reload the page' });
      }
    }
    // Tenant guard, before validation: a firm-scoped route answers 403 outside the user's firms,
    // whatever the body. Routes still authorize the specific permission (firmScope).
    const firmId = (request.params as { firmId?: string } | undefined)?.firmId;
    if (firmId !== undefined && !request.session.actor.isPlatformAdmin && !request.session.actor.roles.has(firmId)) {
      throw new AppError('FORBIDDEN', '您沒有存取此公司資料的權限', { messageEn: 'You have no access to this firm' });
    }
    if (mode === 'full' && request.session.step !== 'ok') {
      throw new AppError('FORBIDDEN', stepMessage(request.session.step), { messageEn: `Finish signing in first: ${request.session.step}`, step: request.session.step });
    }
  });

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issues = error.validation.map((issue) => ({
        where: `${error.validationContext ?? 'body'}${issue.instancePath.replace(/\//g, '.')}`,
        message: issue.message ?? 'invalid',
      }));
      return reply.status(400).send({
        error: { code: 'VALIDATION', message: `輸入資料有誤：${issues.map((issue) => `${issue.where} ${issue.message}`).join('；')}`, messageEn: 'Invalid input', issues },
      });
    }
    if (error instanceof AppError) {
      return reply.status(error.status).send({ error: { code: error.code, message: error.message, ...error.details } });
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 429) {
      return reply.status(429).send({ error: { code: 'RATE_LIMITED', message: '嘗試次數過多，請稍後再試', messageEn: 'Too many requests; try again later' } });
    }
    if (status === 413 || (error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'PAYLOAD_TOO_LARGE', message: `檔案超過上限 ${Math.round(deps.config.maxUploadBytes / 1048576)} MB`, messageEn: 'File too large' } });
    }
    if (status && status >= 400 && status < 500) {
      const message = error instanceof Error ? error.message : String(error);
      return reply.status(status).send({ error: { code: 'VALIDATION', message, messageEn: message } });
    }
    request.log.error(error);
    return reply.status(ERROR_STATUS.INTERNAL).send({ error: { code: 'INTERNAL', message: '系統發生錯誤', messageEn: 'Internal error' } });
  });

  await registerRoutes(app, deps, authDeps);

  app.get('/healthz', { config: { auth: 'none' }, schema: { hide: true } }, async () => ({ ok: true, database: deps.db.kind }));

  if (existsSync(WEB_DIST)) {
    // wildcard: files are looked up per request, so a rebuilt web app is served without a restart.
    await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: true });
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'NOT_FOUND', message: `找不到 ${request.url}`, messageEn: `No route ${request.method} ${request.url}` } });
      }
      return reply.sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((request, reply) =>
      reply.status(404).send({ error: { code: 'NOT_FOUND', message: `找不到 ${request.url}（網頁尚未建置：npm run build:web）`, messageEn: `No route ${request.method} ${request.url}` } }),
    );
  }
  return app;
}

function stepMessage(step: ResolvedSession['step']): string {
  switch (step) {
    case 'mfa': return '請先完成多因子驗證';
    case 'password_change': return '請先變更密碼';
    case 'mfa_enrolment': return '您的角色必須啟用多因子驗證，請先完成設定';
    case 'ok': return '';
    default: {
      const exhaustive: never = step;
      return exhaustive;
    }
  }
}
