/* Size accessors in the shape of include/linux/fs.h's i_size_read() and
 * i_size_write(), for neg-helper-peer.c. */
#include <linux/compiler.h>

struct inode_like {
	long long i_size;
};

static inline long long size_read(const struct inode_like *inode)
{
	return smp_load_acquire(&inode->i_size);
}

static inline void size_write(struct inode_like *inode, long long size)
{
	smp_store_release(&inode->i_size, size);
}
