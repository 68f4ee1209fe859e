# mlockbench plot, standalone: in this folder, run: gnuplot locks-exit-shmem-mlock-32M-plain32.gp
# Writes locks-exit-shmem-mlock-32M-plain32.png and locks-exit-shmem-mlock-32M-plain32.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'locks-exit-shmem-mlock-32M-plain32.png'
set title 'exit: lock wait by class - shmem, mlock, 32M per process, 32 plain mappers'."\n".'debian-5.10 vs debian-6.1'
set grid
set border 3
set tics nomirror
set ylabel "lock wait in the teardown window (s, median of reps)"
set style data histograms
set style histogram rowstacked title offset 0,-1
set style fill solid 0.85 border -1
set boxwidth 0.7 relative
set key outside right top vertical Left reverse box width 1
set xtics rotate by -25 scale 0
set yrange [0:*]
set bmargin 7
set grid noxtics ytics
plot newhistogram 'P=2', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 2:xtic(1) lc rgb '#d62728' title 'i_mmap_rwsem', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 3 lc rgb '#ff7f0e' title 'anon_vma', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 4 lc rgb '#1f77b4' title 'lru_lock', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 5 lc rgb '#2ca02c' title 'mmap_lock', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 6 lc rgb '#7f7f7f' title 'ptl', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 7 lc rgb '#9467bd' title 'zone_lock', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 8 lc rgb '#8c564b' title 'tasklist', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 0 using 9 lc rgb '#e377c2' title 'other', \
     newhistogram 'P=4', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 2:xtic(1) lc rgb '#d62728' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 3 lc rgb '#ff7f0e' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 4 lc rgb '#1f77b4' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 5 lc rgb '#2ca02c' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 6 lc rgb '#7f7f7f' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 7 lc rgb '#9467bd' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 8 lc rgb '#8c564b' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 1 using 9 lc rgb '#e377c2' notitle, \
     newhistogram 'P=8', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 2:xtic(1) lc rgb '#d62728' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 3 lc rgb '#ff7f0e' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 4 lc rgb '#1f77b4' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 5 lc rgb '#2ca02c' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 6 lc rgb '#7f7f7f' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 7 lc rgb '#9467bd' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 8 lc rgb '#8c564b' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 2 using 9 lc rgb '#e377c2' notitle, \
     newhistogram 'P=16', \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 2:xtic(1) lc rgb '#d62728' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 3 lc rgb '#ff7f0e' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 4 lc rgb '#1f77b4' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 5 lc rgb '#2ca02c' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 6 lc rgb '#7f7f7f' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 7 lc rgb '#9467bd' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 8 lc rgb '#8c564b' notitle, \
       'locks-exit-shmem-mlock-32M-plain32.dat' index 3 using 9 lc rgb '#e377c2' notitle

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'locks-exit-shmem-mlock-32M-plain32.svg'
replot
unset output
