import { Args, Field, InputType, Int, Mutation, ObjectType, Resolver } from '@nestjs/graphql';
import { PlaysService } from '../services/plays.service';
import { PlayInput, PlayReceipt } from './catalog.models';

@InputType()
export class PlaysInput {
  @Field(() => [PlayInput]) plays!: PlayInput[];
}

@ObjectType()
export class PlaysReceipt {
  @Field(() => Int) accepted!: number;
  @Field(() => [PlayReceipt]) receipts!: PlayReceipt[];
}

@Resolver()
export class PlaysResolver {
  constructor(private readonly plays: PlaysService) {}

  @Mutation(() => PlayReceipt, {
    description: 'Records a play; it is published to Kafka and stored exactly once.',
  })
  async recordPlay(@Args('input') input: PlayInput): Promise<PlayReceipt> {
    const event = await this.plays.record(input, 'graphql');
    return { eventId: event.eventId, accepted: true };
  }

  @Mutation(() => PlaysReceipt, {
    description: 'Records up to 10,000 plays; all are validated before any is published.',
  })
  async recordPlays(@Args('input') input: PlaysInput): Promise<PlaysReceipt> {
    const events = await this.plays.recordMany(input.plays, 'graphql');
    return { accepted: events.length, receipts: events.map((e) => ({ eventId: e.eventId, accepted: true })) };
  }
}
