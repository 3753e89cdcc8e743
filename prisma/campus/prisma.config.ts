import { subgraphPrismaConfig } from '../config.ts';

export default subgraphPrismaConfig('campus');
