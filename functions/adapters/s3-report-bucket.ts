// The fleet report bucket on S3: PutObject with server-side encryption and an HTML content type, and a presigned
// GET of the latest report for the Slack digest (HeadObject first: no link while nothing was written).
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock } from '../../shared/model/cross-cutting.ts';
import type { FleetReportLink, FleetReportLinks, ReportBucket } from '../../shared/pipeline/fleet-report.ts';

/** S3 caps a SigV4 presigned URL at 7 days; a link made with a role's session lasts no longer than the session. */
export const maxLinkSeconds = 7 * 24 * 3600;

export class S3ReportBucket implements ReportBucket {
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(client: S3Client, bucket: string) {
    this.#client = client;
    this.#bucket = bucket;
  }

  async put(object: { key: string; body: string; contentType: string }): Promise<void> {
    try {
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
          ServerSideEncryption: 'AES256',
          // A person opens it from a link: never a stale copy from a cache.
          CacheControl: 'no-store',
        }),
      );
    } catch (error) {
      throw new Error(`could not write the fleet report to s3://${this.#bucket}/${object.key}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** Links to one key of the bucket, signed when asked for. */
  linksTo(key: string, options: { expiresInSeconds: number; clock: Clock }): FleetReportLinks {
    const expiresIn = Math.min(maxLinkSeconds, Math.max(60, Math.round(options.expiresInSeconds)));
    return {
      latest: async (): Promise<FleetReportLink | undefined> => {
        let lastModified: Date | undefined;
        try {
          const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
          lastModified = head.LastModified;
        } catch (error) {
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
          throw error;
        }
        const now = options.clock.now();
        const url = await getSignedUrl(this.#client, new GetObjectCommand({ Bucket: this.#bucket, Key: key }), { expiresIn, signingDate: now });
        return {
          url,
          generatedAt: (lastModified ?? now).toISOString(),
          expiresAt: new Date(now.getTime() + expiresIn * 1000).toISOString(),
        };
      },
    };
  }
}
