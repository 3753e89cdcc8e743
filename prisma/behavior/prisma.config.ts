import { subgraphPrismaConfig } from '../config.ts';

export default subgraphPrismaConfig('behavior');
