// Every control of each framework Periscope maps to, including those no rule automates: coverage is computed
// from rule metadata against these lists, never written by hand.

export interface Control {
  id: string;
  title: string;
  /** Why no rule can automate it agentlessly, when that is the case. */
  manual?: string;
}

export interface Framework {
  id: string;
  title: string;
  controls: readonly Control[];
}

const owasp: Framework = {
  id: 'owasp-k8s-2022',
  title: 'OWASP Kubernetes Top 10 (2022)',
  controls: [
    { id: 'K01', title: 'Insecure Workload Configurations' },
    { id: 'K02', title: 'Supply Chain Vulnerabilities' },
    { id: 'K03', title: 'Overly Permissive RBAC Configurations' },
    { id: 'K04', title: 'Lack of Centralized Policy Enforcement' },
    { id: 'K05', title: 'Inadequate Logging and Monitoring' },
    { id: 'K06', title: 'Broken Authentication Mechanisms' },
    { id: 'K07', title: 'Missing Network Segmentation Controls' },
    { id: 'K08', title: 'Secrets Management Failures' },
    { id: 'K09', title: 'Misconfigured Cluster Components' },
    { id: 'K10', title: 'Outdated and Vulnerable Kubernetes Components' },
  ],
};

const nodeAccess = 'needs access to the worker node file system or kubelet configuration';
const cis: Framework = {
  id: 'cis-eks-1.8',
  title: 'CIS Amazon EKS Benchmark v1.8.0',
  controls: [
    { id: '2.1.1', title: 'Enable audit logs' },
    { id: '2.1.2', title: 'Ensure audit logs are collected and managed', manual: 'needs CloudWatch Logs retention data' },
    { id: '3.1.1', title: 'Kubeconfig file permissions are 644 or more restrictive', manual: nodeAccess },
    { id: '3.1.2', title: 'Kubelet kubeconfig file ownership is root:root', manual: nodeAccess },
    { id: '3.1.3', title: 'Kubelet configuration file permissions are 644 or more restrictive', manual: nodeAccess },
    { id: '3.1.4', title: 'Kubelet configuration file ownership is root:root', manual: nodeAccess },
    { id: '3.2.1', title: 'Anonymous auth is not enabled', manual: nodeAccess },
    { id: '3.2.2', title: '--authorization-mode is not AlwaysAllow', manual: nodeAccess },
    { id: '3.2.3', title: 'A client CA file is configured', manual: nodeAccess },
    { id: '3.2.4', title: '--read-only-port is disabled', manual: nodeAccess },
    { id: '3.2.5', title: '--streaming-connection-idle-timeout is not 0', manual: nodeAccess },
    { id: '3.2.6', title: '--make-iptables-util-chains is true', manual: nodeAccess },
    { id: '3.2.7', title: '--eventRecordQPS is set appropriately', manual: nodeAccess },
    { id: '3.2.8', title: '--rotate-certificates is true', manual: nodeAccess },
    { id: '3.2.9', title: 'RotateKubeletServerCertificate is true', manual: nodeAccess },
    { id: '4.1.1', title: 'The cluster-admin role is only used where required' },
    { id: '4.1.2', title: 'Minimize access to secrets' },
    { id: '4.1.3', title: 'Minimize wildcard use in Roles and ClusterRoles' },
    { id: '4.1.4', title: 'Minimize access to create pods' },
    { id: '4.1.5', title: 'Default service accounts are not actively used' },
    { id: '4.1.6', title: 'Service account tokens are only mounted where necessary' },
    { id: '4.1.7', title: 'Cluster Access Manager API is used to streamline and enhance access control' },
    { id: '4.1.8', title: 'Limit use of the Bind, Impersonate and Escalate permissions' },
    { id: '4.1.9', title: 'Minimize access to create PersistentVolume objects' },
    { id: '4.1.10', title: 'Minimize access to the proxy sub-resource of Node objects' },
    { id: '4.1.11', title: 'Minimize access to webhook configuration objects' },
    { id: '4.1.12', title: 'Minimize access to the service account token creation' },
    { id: '4.2.1', title: 'Minimize the admission of privileged containers' },
    { id: '4.2.2', title: 'Minimize the admission of containers sharing the host process ID namespace' },
    { id: '4.2.3', title: 'Minimize the admission of containers sharing the host IPC namespace' },
    { id: '4.2.4', title: 'Minimize the admission of containers sharing the host network namespace' },
    { id: '4.2.5', title: 'Minimize the admission of containers with allowPrivilegeEscalation' },
    { id: '4.3.1', title: 'The CNI in use supports network policies' },
    { id: '4.3.2', title: 'All namespaces have network policies defined' },
    { id: '4.4.1', title: 'Prefer using secrets as files over secrets as environment variables' },
    { id: '4.4.2', title: 'Consider external secret storage', manual: 'an organisational choice a scan cannot judge' },
    { id: '4.5.1', title: 'Create administrative boundaries between resources using namespaces' },
    { id: '4.5.2', title: 'The default namespace should not be used' },
    { id: '5.1.1', title: 'Image vulnerability scanning with Amazon ECR image scanning or a third-party provider' },
    { id: '5.1.2', title: 'Minimize user access to Amazon ECR', manual: 'needs IAM policy analysis of the account' },
    { id: '5.1.3', title: 'Minimize cluster access to read-only for Amazon ECR', manual: 'needs IAM policy analysis of the node role' },
    { id: '5.1.4', title: 'Minimize container registries to only those approved' },
    { id: '5.2.1', title: 'Prefer using dedicated EKS service accounts' },
    { id: '5.3.1', title: 'Kubernetes secrets are encrypted using customer master keys managed in AWS KMS' },
    { id: '5.4.1', title: 'Restrict access to the control plane endpoint' },
    { id: '5.4.2', title: 'Clusters are created with private endpoint enabled and public access disabled' },
    { id: '5.4.3', title: 'Clusters are created with private nodes', manual: 'needs EC2 subnet and instance data' },
    { id: '5.4.4', title: 'Network policy is enabled and set as appropriate' },
    { id: '5.4.5', title: 'Encrypt traffic to HTTPS load balancers with TLS certificates' },
    { id: '5.5.1', title: 'Manage Kubernetes RBAC users with AWS IAM Authenticator or upgraded AWS CLI' },
  ],
};

/** Pod Security Standards, latest version; ids are `<level>/<upstream check name>`. */
const pss: Framework = {
  id: 'pss',
  title: 'Kubernetes Pod Security Standards (latest)',
  controls: [
    { id: 'baseline/hostNamespaces', title: 'Host namespaces' },
    { id: 'baseline/privileged', title: 'Privileged containers' },
    { id: 'baseline/capabilities_baseline', title: 'Capabilities (baseline)' },
    { id: 'baseline/hostPathVolumes', title: 'HostPath volumes' },
    { id: 'baseline/hostPorts', title: 'Host ports' },
    { id: 'baseline/hostProbesAndHostLifecycle', title: 'Host probes and lifecycle hooks' },
    { id: 'baseline/appArmorProfile', title: 'AppArmor' },
    { id: 'baseline/seLinuxOptions', title: 'SELinux' },
    { id: 'baseline/procMount', title: '/proc mount type' },
    { id: 'baseline/seccompProfile_baseline', title: 'Seccomp (baseline)' },
    { id: 'baseline/sysctls', title: 'Sysctls' },
    { id: 'baseline/windowsHostProcess', title: 'HostProcess (Windows)' },
    { id: 'restricted/restrictedVolumes', title: 'Volume types' },
    { id: 'restricted/allowPrivilegeEscalation', title: 'Privilege escalation' },
    { id: 'restricted/runAsNonRoot', title: 'Running as non-root' },
    { id: 'restricted/runAsUser', title: 'Running as non-root user' },
    { id: 'restricted/seccompProfile_restricted', title: 'Seccomp (restricted)' },
    { id: 'restricted/capabilities_restricted', title: 'Capabilities (restricted)' },
    { id: 'restricted/procMount_restricted', title: '/proc mount type (restricted)' },
  ],
};

const nsa: Framework = {
  id: 'nsa-cisa',
  title: 'NSA/CISA Kubernetes Hardening Guide (v1.2)',
  controls: [
    { id: 'pod-security', title: 'Kubernetes Pod security: non-root containers, immutable file systems, security context' },
    { id: 'image-security', title: 'Building secure container images and scanning them' },
    { id: 'network-separation', title: 'Network separation and hardening: namespaces, network policies, resource policies' },
    { id: 'authentication-authorization', title: 'Authentication and authorization: RBAC, least privilege' },
    { id: 'audit-logging', title: 'Audit logging and threat detection' },
    { id: 'secrets', title: 'Secrets encryption and handling' },
    { id: 'upgrading', title: 'Upgrading and application security practices' },
    { id: 'control-plane', title: 'Control plane hardening: restricted API access, TLS' },
  ],
};

export const frameworks: readonly Framework[] = [owasp, cis, pss, nsa];

export function frameworkById(id: string): Framework | undefined {
  return frameworks.find((framework) => framework.id === id);
}

export interface ControlCoverage {
  control: Control;
  /** Ids of the rules that automate it (empty when none does). */
  rules: string[];
}

/** Which rules automate which controls of a framework, computed from rule metadata. */
export function coverageOf(
  framework: Framework,
  rules: readonly { id: string; meta: { frameworks: Record<string, readonly string[]> } }[],
): ControlCoverage[] {
  return framework.controls.map((control) => ({
    control,
    rules: rules.filter((rule) => rule.meta.frameworks[framework.id]?.includes(control.id)).map((rule) => rule.id),
  }));
}
