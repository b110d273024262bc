import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { TokensController } from './tokens.controller.js';

@Module({ imports: [AuthModule], controllers: [TokensController] })
export class TokensModule {}
