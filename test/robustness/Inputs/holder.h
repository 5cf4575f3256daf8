/* A driver's own header: its struct's key carries the file, and nothing
 * else of this file is accessed before the lock analysis names the lock. */
struct holder {
	struct mutex m;
};
