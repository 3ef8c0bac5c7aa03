import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/**
 * An S3-compatible server (s3rver, MIT, from npm) on loopback for the restore drill and the backup
 * integration test. Development and test only: production points BACKUP_S3_ENDPOINT at real object
 * storage. It accepts the fixed credentials S3RVER/S3RVER.
 */
export interface LocalS3Server {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

export async function startLocalS3Server(
  directory: string,
  bucket = 'sightline-backups',
): Promise<LocalS3Server> {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    vhostBuckets: false,
    configureBuckets: [{ name: bucket }],
  });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    close: () => server.close(),
  };
}
