export { SKILLS } from './library';
export {
  selectSkills,
  skillById,
  skillManifests,
  manifestOf,
  mentions,
  type SelectSkillsInput,
} from './select';
export type { Skill, SkillManifest } from '../agents/types';
