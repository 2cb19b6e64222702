import { parse } from 'yaml';
import { resolveValues } from '../values';
import { chartFiles, readChartDir } from './chart-files';

describe('charts/aegis', () => {
  const generated = chartFiles();

  it('is exactly what the cdk8s app generates (run `npm run chart -w @aegis/k8s` after a change)', () => {
    const onDisk = readChartDir();
    expect([...onDisk.keys()].sort()).toEqual([...generated.keys()].sort());
    for (const [file, text] of generated) {
      expect({ file, text: onDisk.get(file) }).toEqual({ file, text });
    }
  });

  it('ships the defaults of the values schema as values.yaml', () => {
    expect(parse(generated.get('values.yaml')!)).toEqual(resolveValues({}));
  });

  it('ships the operator-generated CRD in crds/, outside the templates', () => {
    const crdFiles = [...generated.keys()].filter((f) => f.startsWith('crds/'));
    expect(crdFiles).toEqual(['crds/aegistenants.aegis.io.yaml']);
    expect(parse(generated.get(crdFiles[0])!)).toMatchObject({ kind: 'CustomResourceDefinition' });
  });

  it('templates the release namespace, never a fixed one', () => {
    for (const [file, text] of generated) {
      if (!file.startsWith('templates/') || !file.endsWith('.yaml')) continue;
      expect({ file, fixed: /namespace: "?aegis"?$/m.test(text) }).toEqual({ file, fixed: false });
      expect(text).toContain('{{ .Release.Namespace');
    }
  });
});
