import { startControlPlane } from './controlplane';
void (async () => {
  const cp = await startControlPlane({ components: 'api-server', dir: '/tmp/opedges/cp', kubeconfig: null });
  console.log(JSON.stringify({ server: cp.server, kubeconfig: cp.kubeconfigPath, kubectl: cp.binaries.kubectl }));
  process.on('SIGTERM', () => void cp.stop().then(() => process.exit(0)));
  setInterval(() => {}, 1 << 30);
})();
