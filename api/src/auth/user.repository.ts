import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type Repository } from 'typeorm';
import { UserEntity } from '@sightline/database';

@Injectable()
export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  create(
    fields: { email: string; name: string | null; passwordHash: string },
    manager?: EntityManager,
  ): Promise<UserEntity> {
    const repo = manager ? manager.getRepository(UserEntity) : this.users;
    return repo.save(repo.create({ ...fields, emailVerifiedAt: null }));
  }

  async update(
    id: string,
    fields: Partial<Pick<UserEntity, 'email' | 'passwordHash' | 'emailVerifiedAt' | 'name' | 'deletedAt'>>,
  ): Promise<void> {
    await this.users.update({ id }, fields);
  }
}
