/* An inode, as far as kmark's tests need one: its lock is taken through
 * wrappers that kmark reads the bodies of. */
#ifndef KMARK_TEST_LINUX_FS_H
#define KMARK_TEST_LINUX_FS_H

#include <linux/lock.h>

struct inode {
  struct rw_semaphore i_rwsem;
  spinlock_t i_lock;
  unsigned long i_state;
  long long i_size;
  unsigned int i_generation;
};

static inline void inode_lock(struct inode *inode)
{
  down_write(&inode->i_rwsem);
}

static inline void inode_unlock(struct inode *inode)
{
  up_write(&inode->i_rwsem);
}

static inline void inode_lock_shared(struct inode *inode)
{
  down_read(&inode->i_rwsem);
}

static inline void inode_unlock_shared(struct inode *inode)
{
  up_read(&inode->i_rwsem);
}

#endif
