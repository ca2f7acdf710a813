// cdk-nag acknowledgements, shared by every construct: each one carries the reason it is right here.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag 3 acknowledgement: always with the reason it is right here. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag names a resource in an IAM5 finding: tokens become <AWS::Region> or <LogicalId.Arn>. */
function nagResource(scope: IConstruct, value: string): string {
  const resolved = Stack.of(scope).resolve(value) as unknown;
  const render = (part: unknown): string => {
    if (typeof part === 'string') return part;
    if (part && typeof part === 'object') {
      const ref = (part as { Ref?: string }).Ref;
      if (ref) return `<${ref}>`;
      const getAtt = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
      if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
      const join = (part as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      if (join) return join[1].map(render).join(join[0]);
    }
    return String(part);
  };
  return render(resolved);
}

/** Acknowledges named wildcard resources (AwsSolutions-IAM5 evidence), each with the reason. */
export function acknowledgeWildcards(scope: IConstruct, resources: readonly string[], reason: string): void {
  for (const resource of resources) acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagResource(scope, resource)}]`, reason);
}
