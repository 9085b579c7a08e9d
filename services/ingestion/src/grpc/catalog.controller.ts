import { Controller } from '@nestjs/common';
import { catalog } from '@tunegraph/contracts';
import { badInput } from '@tunegraph/service-kit';
import { CatalogService, checkId } from '../services/catalog.service';

@Controller()
@catalog.CatalogServiceControllerMethods()
export class CatalogGrpcController implements catalog.CatalogServiceController {
  constructor(private readonly catalog: CatalogService) {}

  async getSongs(request: catalog.GetSongsRequest): Promise<catalog.GetSongsResponse> {
    if (request.ids.length > 1000) throw badInput('at most 1000 ids per request');
    const songs = await this.catalog.songs(request.ids.map((id) => checkId(id, 'song id')));
    return {
      songs: songs.map((s) => ({
        id: s.id,
        title: s.title,
        artistId: s.artistId,
        artistName: s.artistName,
        year: s.year ?? 0,
        trackIds: s.trackIds,
      })),
    };
  }

  async getUserHistory(request: catalog.GetUserHistoryRequest): Promise<catalog.GetUserHistoryResponse> {
    const items = await this.catalog.plays(checkId(request.userId, 'user id'), request.limit || 1000);
    return { userId: request.userId, items };
  }
}
