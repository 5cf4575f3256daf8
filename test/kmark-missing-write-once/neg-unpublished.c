// RUN: %check_kmark %s 'kmark-*' %t --config MinConfidence=0 -- %kernel_flags
// Regression (found on the development set: filemap.c's on-stack waiter,
// perf_event_alloc(), tracepoint.c's allocate_probes(), nfs_fhget(),
// nfs_alloc_inode()): stores to an object no other CPU can reach yet are
// not races: one in this function's frame, one a function of this file
// returned fresh from an allocator, an inode still I_NEW, and the object
// an alloc_inode method is building.
#include <linux/lock.h>

void *ERR_PTR(long error);

struct entry {
	unsigned int flags;
	int key;
};

struct waiter {
	struct entry e;
	int nr;
};

/* The lockless reader every store below would race with. */
unsigned int entry_peek(struct entry *e)
{
	return READ_ONCE(e->flags);
}

void add_entry(struct entry *e);

void wait_on_it(void)
{
	struct waiter w;
	struct entry *e = &w.e;
	struct entry local;

	e->flags = 0;
	w.e.flags = 1;
	local.flags = 2;
	add_entry(e);
}

static struct entry *entry_alloc(int key)
{
	struct entry *e;

	if (key < 0)
		return ERR_PTR(-22);
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return NULL;
	e->key = key;
	return e;
}

struct entry_table {
	int nr;
	struct entry entries[];
};

static struct entry *entries_alloc(int n)
{
	struct entry_table *t = kzalloc(sizeof(*t) + n * sizeof(t->entries[0]),
					GFP_KERNEL);

	return t == NULL ? NULL : t->entries;
}

/* A lookup may return an object others already see: not fresh. */
static struct entry *entry_find_or_alloc(struct entry *old, int key)
{
	if (old)
		return old;
	return entry_alloc(key);
}

struct entry *entry_new(int key)
{
	struct entry *e = entry_alloc(key);
	struct entry *arr = entries_alloc(2);
	struct entry *found = entry_find_or_alloc(e, key);

	e->flags = 3;
	arr[1].flags = 4;
	found->flags = 5;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'entry::flags' races with lockless reader entry_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(found->flags, 5);
	return e;
}

/* Inodes fresh from iget_locked(). */
#define I_NEW (1 << 3)
struct inode {
	unsigned long i_state;
	unsigned int i_flags;
};
struct super_block;
struct inode *iget_locked(struct super_block *sb, unsigned long ino);
void unlock_new_inode(struct inode *inode);

unsigned int inode_peek(struct inode *inode)
{
	return READ_ONCE(inode->i_flags);
}

struct inode *fs_iget(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = iget_locked(sb, ino);

	if (inode->i_state & I_NEW) {
		inode->i_flags = 1;
		unlock_new_inode(inode);
	}
	inode->i_flags |= 2;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain read-modify-write to 'inode::i_flags' races with lockless reader inode_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(inode->i_flags, inode->i_flags | 2);
	return inode;
}

struct inode *fs_iget_early(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = iget_locked(sb, ino);

	if (!(inode->i_state & I_NEW))
		return inode;
	inode->i_flags = 4;
	unlock_new_inode(inode);
	inode->i_flags = 8;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'inode::i_flags' races with lockless reader inode_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(inode->i_flags, 8);
	return inode;
}

/* The alloc_inode method builds an inode nobody has seen. */
struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);
};
struct inode *inode_cache_get(void);

static struct inode *fs_alloc_inode(struct super_block *sb)
{
	struct inode *inode = inode_cache_get();

	inode->i_flags = 0;
	return inode;
}

static const struct super_operations fs_sops = {
	.alloc_inode = fs_alloc_inode,
};

/* Set up by a function every caller hands a new object, directly or
 * through its own parameter (6.12's posix_cputimers_group_init() from
 * copy_signal(), __sched_fork() through sched_fork(), and
 * rcu_cblist_flush_enqueue() on a list in its caller's frame). */
void entry_setup(struct entry *e, int key)
{
	e->flags = 6;
	e->key = key;
}

static void entry_setup_twice(struct entry *e)
{
	entry_setup(e, 1);
	entry_setup(e, 2);
}

struct entry *entry_make(void)
{
	struct entry *e = kzalloc(sizeof(*e), GFP_KERNEL);
	struct entry scratch;

	entry_setup(&scratch, 3);
	if (e)
		entry_setup_twice(e);
	return e;
}

/* One caller passes an object others may see: the store races. */
void entry_reset(struct entry *e)
{
	e->flags = 7;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'entry::flags' races with lockless reader entry_peek() (confidence: {{.*}}) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(e->flags, 7);
}

void entry_users(struct entry *live)
{
	entry_reset(entry_alloc(1));
	entry_reset(live);
}

/* Since 6.10 an allocator call is a statement expression around the
 * allocator (alloc_hooks()): a function returning its value returns a
 * fresh object too (perf_event_alloc() and inherit_event()). */
void *kmem_cache_alloc_noprof(void *cache, int flags);
#define kmem_cache_alloc_hooked(c, f)                                          \
	({                                                                     \
		void *__res = kmem_cache_alloc_noprof(c, f);                   \
		__res;                                                         \
	})

static struct entry *entry_alloc_hooked(void *cache)
{
	struct entry *e = kmem_cache_alloc_hooked(cache, GFP_KERNEL);

	if (!e)
		return ERR_PTR(-12);
	return e;
}

struct entry *entry_inherit(void *cache)
{
	struct entry *e = entry_alloc_hooked(cache);

	e->flags = 8;
	return e;
}

/* A function named as an initialiser mostly sets up an object nobody sees
 * yet (init_srcu_struct_fields(), rcu_segcblist_init()): its stores weigh
 * less. */
void entry_init(struct entry *e)
{
	e->flags = 9;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'entry::flags' races with lockless reader entry_peek() (confidence: low, 10) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(e->flags, 9);
}

void entry_initialise_more(struct entry *e)
{
	e->flags = 10;
	// CHECK-MESSAGES: :[[@LINE-1]]:2: warning: plain store to 'entry::flags' races with lockless reader entry_peek() (confidence: low, 30) [kmark-missing-write-once]
	// CHECK-FIXES: WRITE_ONCE(e->flags, 10);
}
