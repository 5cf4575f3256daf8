// RUN: %check_kmark %s 'kmark-*' %t -- %kernel_flags -I%S/Inputs
// RUN: %check_kmark %s 'kmark-*' %t.low --check-suffix=LOW --config MinConfidence=low -- %kernel_flags -I%S/Inputs
// Regression (found on the development set, inode::i_size): a peer that
// reads the field through the shared inline helper whose marking is the
// field's contract (i_size_read()) says little about where this function
// runs.  Such a peer counts half a direct READ_ONCE(): below the default.
#include "size_helpers.h"

struct aops_like {
	int (*write_end)(struct inode_like *inode, long long pos);
};

static int fs1_write_end(struct inode_like *inode, long long pos)
{
	if (pos > size_read(inode))
		size_write(inode, pos);
	return 0;
}

static int fs2_write_end(struct inode_like *inode, long long pos)
{
	long long old = inode->i_size;
	// CHECK-MESSAGES-LOW: :[[@LINE-1]]:18: warning: plain load of 'inode_like::i_size' races with size_write(), which writes it with smp_store_release(); fs1_write_end(), also 'aops_like.write_end', reads it with smp_load_acquire() through size_read() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-FIXES-LOW: long long old = READ_ONCE(inode->i_size);

	if (pos > old)
		size_write(inode, pos);
	return 0;
}

/* Most reads of the size are plain, as in the kernel (under i_rwsem). */
long long fs2_truncate(struct inode_like *inode, long long to)
{
	return inode->i_size > to ? inode->i_size - to : 0;
	// CHECK-MESSAGES-LOW: :[[@LINE-1]]:9: warning: plain load of 'inode_like::i_size' races with size_write(), which writes it with smp_store_release(); no lock is visibly held in fs2_truncate() (confidence: low, {{[0-9]+}}) [kmark-missing-read-once]
	// CHECK-MESSAGES-LOW: :[[@LINE-2]]:30: warning: plain load of 'inode_like::i_size' {{.*}} [kmark-missing-read-once]
	// CHECK-FIXES-LOW: return READ_ONCE(inode->i_size) > to ? READ_ONCE(inode->i_size) - to : 0;
}

const struct aops_like fs1_aops = { .write_end = fs1_write_end };
const struct aops_like fs2_aops = { .write_end = fs2_write_end };
