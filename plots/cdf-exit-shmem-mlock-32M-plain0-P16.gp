# mlockbench plot, standalone: in this folder, run: gnuplot cdf-exit-shmem-mlock-32M-plain0-P16.gp
# Writes cdf-exit-shmem-mlock-32M-plain0-P16.png and cdf-exit-shmem-mlock-32M-plain0-P16.svg from the .dat files beside it.
set encoding utf8
set terminal pngcairo noenhanced size 1100,750 font 'sans,13'
set output 'cdf-exit-shmem-mlock-32M-plain0-P16.png'
set title 'exit: per-process teardown latency CDF at P=16 - shmem, mlock, 32M per process, 0 plain mappers'."\n".'debian-5.10 (boot-1) vs debian-5.10 (boot-2) vs debian-5.10 (boot-3) vs'."\n".'debian-6.1 (boot-1) vs debian-6.1 (boot-2) vs debian-6.1 (boot-3)'
set grid
set border 3
set tics nomirror
set xlabel "release to that process done (s)"
set ylabel "fraction of processes (all timed repetitions pooled)"
set yrange [0:1.02]
set key bottom right Left reverse box opaque
plot 'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 0 using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'debian-5.10 (boot-1)', \
     'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 1 using 1:2 with steps lw 2 lc rgb '#d62728' title 'debian-5.10 (boot-2)', \
     'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 2 using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'debian-5.10 (boot-3)', \
     'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 3 using 1:2 with steps lw 2 lc rgb '#9467bd' title 'debian-6.1 (boot-1)', \
     'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 4 using 1:2 with steps lw 2 lc rgb '#ff7f0e' title 'debian-6.1 (boot-2)', \
     'cdf-exit-shmem-mlock-32M-plain0-P16.dat' index 5 using 1:2 with steps lw 2 lc rgb '#8c564b' title 'debian-6.1 (boot-3)'

set terminal svg noenhanced size 1100,750 dynamic font 'sans,13' background '#ffffff'
set output 'cdf-exit-shmem-mlock-32M-plain0-P16.svg'
replot
unset output
